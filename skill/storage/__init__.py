"""Every store of the product: one narrow protocol per kind of data, each with its SQLite and DynamoDB
implementation side by side. Nothing here imports a feature package."""


class StorageError(Exception):
    """A store cannot be used at all (a file that is not a Back Coach database, a path that cannot be opened).
    The message is a sentence a person can act on."""


class StaleWriteError(Exception):
    """Someone else (another Echo on the same account) saved first: re-read and try again."""
