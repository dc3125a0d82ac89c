"""qualcode: qualitative interview coding and thematic analysis at the terminal."""

__version__ = "0.1.0"
