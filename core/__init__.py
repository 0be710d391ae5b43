"""What every domain app shares and no app owns: errors and their catalogue, append-only rows, row locks.

A plain package of the domain layer: no models of a domain, no HTTP. Dependencies point here from every app.
"""
