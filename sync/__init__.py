"""Synchronisation of CaseApp workspaces with the central server.

``sync.client`` talks HTTP, ``sync.run`` drives push-then-pull for one workspace, ``sync.apply``
writes pulled pages into the encrypted workspace, ``sync.server`` is the FastAPI server. Nothing
here imports Qt; ``caseapp`` never imports this package (HTTP stays out of the core).
"""
