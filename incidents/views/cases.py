"""Views of the police side: the officer's inbox, the case page and its actions."""
