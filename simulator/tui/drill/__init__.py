"""Group drills in the app: set-up, the round in front of the room, the summary.

The screens (`screens.py`) and their widgets; the app opens them with
`ShadowboxApp.open_drill_setup` (a key on the home screen, the command palette), and
`simulator.tui.app.DrillApp` opens the app straight on a drill for `shadowbox drill`.
Nothing here imports the app: the app sits above its screens.
"""
