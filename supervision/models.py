# Models of this app arrive with its feature work; the app is part of the fixed layout.
