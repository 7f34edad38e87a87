"""One module per screen: home, prep, practice, debrief, history, and the dialogs."""
