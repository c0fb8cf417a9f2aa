"""The Textual UI of desk: the App, one module per screen, widgets and styles."""
