"""The room on screen: fields bound to the shared draft, live steps, the room bar, the participant's app."""
