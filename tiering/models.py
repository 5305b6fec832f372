"""tiering engine. Built in its own issue; the app is registered so the layout is fixed."""
