"""The signed-in home page: what needs the user's attention for each authority they belong to."""
