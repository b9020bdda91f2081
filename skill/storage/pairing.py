"""Pairing codes and device tokens of the heart-rate companion. People are a one-way hash of their Alexa
user id; codes and tokens are stored hashed."""

from __future__ import annotations

from typing import Protocol

from skill.storage.dynamo import client, conditional_failed, from_item, to_item, value
from skill.storage.sqlite import Database


class PairingStore(Protocol):
    def save_pairing(self, code_hash: str, user: str, expires_at: int) -> None: ...

    def redeem_pairing(self, code_hash: str, now: int) -> str | None:
        """The user a code was issued for, removing it (single use); None if wrong, expired or used."""

    def save_token(self, token_hash: str, user: str, device: str, now: int) -> None: ...

    def user_for_token(self, token_hash: str) -> str | None: ...

    def revoke(self, user: str) -> int:
        """Removes every device token of `user`; returns how many."""


class SQLitePairingStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        db.schema("""
            CREATE TABLE IF NOT EXISTS pairings (code_hash TEXT PRIMARY KEY, user TEXT, expires_at INTEGER);
            CREATE TABLE IF NOT EXISTS tokens (token_hash TEXT PRIMARY KEY, user TEXT, device TEXT, created INTEGER);
        """)

    def save_pairing(self, code_hash: str, user: str, expires_at: int) -> None:
        self.db.change("INSERT OR REPLACE INTO pairings VALUES (?, ?, ?)", (code_hash, user, expires_at))

    def redeem_pairing(self, code_hash: str, now: int) -> str | None:
        rows = self.db.rows("DELETE FROM pairings WHERE code_hash = ? RETURNING user, expires_at", (code_hash,))
        return rows[0][0] if rows and rows[0][1] > now else None

    def save_token(self, token_hash: str, user: str, device: str, now: int) -> None:
        self.db.change("INSERT INTO tokens VALUES (?, ?, ?, ?)", (token_hash, user, device, now))

    def user_for_token(self, token_hash: str) -> str | None:
        rows = self.db.rows("SELECT user FROM tokens WHERE token_hash = ?", (token_hash,))
        return rows[0][0] if rows else None

    def revoke(self, user: str) -> int:
        return self.db.change("DELETE FROM tokens WHERE user = ?", (user,))


class DynamoPairingStore:
    """Items of the state table: `pair#<code hash>` (expires through the table's TTL), `token#<hash>`, and
    `tokens#<user>` listing a person's token hashes (so unpairing needs no scan)."""

    def __init__(self, table: str) -> None:
        self.table = table

    def save_pairing(self, code_hash: str, user: str, expires_at: int) -> None:
        item = to_item({"id": f"pair#{code_hash}", "user": user, "expires_at": expires_at})
        client().put_item(TableName=self.table, Item=item)

    def redeem_pairing(self, code_hash: str, now: int) -> str | None:
        try:
            old = client().delete_item(
                TableName=self.table, Key={"id": {"S": f"pair#{code_hash}"}}, ReturnValues="ALL_OLD",
                ConditionExpression="attribute_exists(id) AND expires_at > :now",
                ExpressionAttributeValues={":now": value(now)},
            )
        except Exception as e:
            if conditional_failed(e):
                return None
            raise
        return str(from_item(old["Attributes"])["user"])

    def save_token(self, token_hash: str, user: str, device: str, now: int) -> None:
        item = to_item({"id": f"token#{token_hash}", "user": user, "device": device, "created": now})
        client().put_item(TableName=self.table, Item=item)
        client().update_item(TableName=self.table, Key={"id": {"S": f"tokens#{user}"}},
                             UpdateExpression="ADD hashes :h", ExpressionAttributeValues={":h": value({token_hash})})

    def user_for_token(self, token_hash: str) -> str | None:
        item = client().get_item(TableName=self.table, Key={"id": {"S": f"token#{token_hash}"}}).get("Item")
        return str(from_item(item)["user"]) if item else None

    def revoke(self, user: str) -> int:
        item = client().get_item(TableName=self.table, Key={"id": {"S": f"tokens#{user}"}},
                                 ConsistentRead=True).get("Item")
        hashes = from_item(item).get("hashes", []) if item else []
        for token_hash in hashes:
            client().delete_item(TableName=self.table, Key={"id": {"S": f"token#{token_hash}"}})
        client().delete_item(TableName=self.table, Key={"id": {"S": f"tokens#{user}"}})
        return len(hashes)
