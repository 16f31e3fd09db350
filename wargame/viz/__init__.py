"""The browser visualisation of one run (`wargame viz`): Mesa's run controller, offline-ready.

Heavy imports (Solara, Mesa's visualisation) live in the modules the server loads, never
here, so that the command line stays fast.
"""
