"""What the officer sees: the plan's panels and the views beside it."""
