"""The heart-rate companion: runs on the person's own computer, reads a strap or watch and posts to the sync API.

It imports no server code, so it can be installed and run on its own."""
