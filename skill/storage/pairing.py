"""Pairing codes and device tokens of the heart-rate companion, and the count of pairing attempts. People are
a one-way hash of their Alexa user id; codes and tokens are stored hashed.

A person has at most one live code: issuing one revokes the one before, and unpairing revokes it too. A code
is unique among live codes, so redeeming it can only pair the person it was issued to."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from skill.storage.dynamo import client, conditional_failed, from_item, to_item, value

if TYPE_CHECKING:  # SQLite is the local store: a deployed function never imports sqlite3
    from skill.storage.sqlite import Database


class PairingStore(Protocol):
    def save_pairing(self, code_hash: str, user: str, expires_at: int, now: int) -> bool:
        """Makes `code_hash` the one live code of `user`, revoking any earlier one; False, and nothing issued,
        when the code is live for someone else (draw another)."""

    def redeem_pairing(self, code_hash: str, now: int) -> str | None:
        """The user a code was issued for, removing it (single use); None if wrong, expired or used."""

    def save_token(self, token_hash: str, user: str, device: str, now: int) -> None: ...

    def user_for_token(self, token_hash: str) -> str | None: ...

    def revoke(self, user: str) -> int:
        """Removes every device token of `user` and their live code; returns how many tokens."""

    def count_attempt(self, key: str, window_end: int) -> int:
        """Counts one pairing attempt under `key` in the window that ends at `window_end` (epoch s); returns the
        count so far in that window. Shared by every process using the store."""


class SQLitePairingStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        db.schema("""
            CREATE TABLE IF NOT EXISTS pairings (code_hash TEXT PRIMARY KEY, user TEXT, expires_at INTEGER);
            CREATE TABLE IF NOT EXISTS tokens (token_hash TEXT PRIMARY KEY, user TEXT, device TEXT, created INTEGER);
            CREATE TABLE IF NOT EXISTS attempts (key TEXT, window_end INTEGER, count INTEGER,
                                                 PRIMARY KEY (key, window_end));
        """)

    def save_pairing(self, code_hash: str, user: str, expires_at: int, now: int) -> bool:
        with self.db.transaction() as db:
            db.execute("DELETE FROM pairings WHERE expires_at <= ?", (now,))
            taken = db.execute("SELECT user FROM pairings WHERE code_hash = ?", (code_hash,)).fetchone()
            if taken and taken[0] != user:
                return False
            db.execute("DELETE FROM pairings WHERE user = ?", (user,))
            db.execute("INSERT INTO pairings VALUES (?, ?, ?)", (code_hash, user, expires_at))
        return True

    def redeem_pairing(self, code_hash: str, now: int) -> str | None:
        rows = self.db.rows("DELETE FROM pairings WHERE code_hash = ? RETURNING user, expires_at", (code_hash,))
        return rows[0][0] if rows and rows[0][1] > now else None

    def save_token(self, token_hash: str, user: str, device: str, now: int) -> None:
        self.db.change("INSERT INTO tokens VALUES (?, ?, ?, ?)", (token_hash, user, device, now))

    def user_for_token(self, token_hash: str) -> str | None:
        rows = self.db.rows("SELECT user FROM tokens WHERE token_hash = ?", (token_hash,))
        return rows[0][0] if rows else None

    def revoke(self, user: str) -> int:
        self.db.change("DELETE FROM pairings WHERE user = ?", (user,))
        return self.db.change("DELETE FROM tokens WHERE user = ?", (user,))

    def count_attempt(self, key: str, window_end: int) -> int:
        with self.db.transaction() as db:
            db.execute("DELETE FROM attempts WHERE window_end < ?", (window_end - 24 * 3600,))
            row = db.execute("INSERT INTO attempts VALUES (?, ?, 1) ON CONFLICT (key, window_end) DO UPDATE "
                             "SET count = count + 1 RETURNING count", (key, window_end)).fetchone()
        return int(row[0])


class DynamoPairingStore:
    """Items of the state table: `pair#<code hash>` (expires through the table's TTL), `pairs#<user>` naming the
    person's live code, `token#<hash>`, `tokens#<user>` listing a person's token hashes (so unpairing needs no
    scan), and `attempt#<key>#<window end>` counters (expiring through the TTL).

    Issuing is three single-item writes (the role's policy grants no transactions): a conditional put of the new
    code, an atomic swap of `pairs#<user>` that returns the code before it, and the delete of that one. Two
    issues at once still leave one live code (each swap deletes what the other put first); a crash between the
    writes leaves the earlier code live until it expires, ten minutes at most."""

    def __init__(self, table: str) -> None:
        self.table = table

    def save_pairing(self, code_hash: str, user: str, expires_at: int, now: int) -> bool:
        item = to_item({"id": f"pair#{code_hash}", "user": user, "expires_at": expires_at})
        try:
            client().put_item(
                TableName=self.table, Item=item,
                ConditionExpression="attribute_not_exists(id) OR expires_at <= :now OR #user = :user",
                ExpressionAttributeNames={"#user": "user"},
                ExpressionAttributeValues={":now": value(now), ":user": value(user)},
            )
        except Exception as e:
            if conditional_failed(e):
                return False
            raise
        old = client().update_item(
            TableName=self.table, Key={"id": {"S": f"pairs#{user}"}},
            UpdateExpression="SET code_hash = :code, expires_at = :expires",
            ExpressionAttributeValues={":code": value(code_hash), ":expires": value(expires_at)},
            ReturnValues="UPDATED_OLD",
        ).get("Attributes")
        previous = from_item(old).get("code_hash") if old else None
        if previous and previous != code_hash:
            self._delete_code(previous, user)
        return True

    def _delete_code(self, code_hash: str, user: str) -> None:
        """Deletes `user`'s code `code_hash`, never the same code issued since to someone else."""
        try:
            client().delete_item(TableName=self.table, Key={"id": {"S": f"pair#{code_hash}"}},
                                 ConditionExpression="#user = :user", ExpressionAttributeNames={"#user": "user"},
                                 ExpressionAttributeValues={":user": value(user)})
        except Exception as e:
            if not conditional_failed(e):
                raise

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
        live = client().delete_item(TableName=self.table, Key={"id": {"S": f"pairs#{user}"}},
                                    ReturnValues="ALL_OLD").get("Attributes")
        if live and from_item(live).get("code_hash"):
            self._delete_code(str(from_item(live)["code_hash"]), user)
        item = client().get_item(TableName=self.table, Key={"id": {"S": f"tokens#{user}"}},
                                 ConsistentRead=True).get("Item")
        hashes = from_item(item).get("hashes", []) if item else []
        for token_hash in hashes:
            client().delete_item(TableName=self.table, Key={"id": {"S": f"token#{token_hash}"}})
        client().delete_item(TableName=self.table, Key={"id": {"S": f"tokens#{user}"}})
        return len(hashes)

    def count_attempt(self, key: str, window_end: int) -> int:
        answer = client().update_item(
            TableName=self.table, Key={"id": {"S": f"attempt#{key}#{window_end}"}},
            UpdateExpression="ADD attempts :one SET expires_at = :expires",
            ExpressionAttributeValues={":one": value(1), ":expires": value(window_end)},
            ReturnValues="UPDATED_NEW",
        )
        return int(from_item(answer["Attributes"])["attempts"])
