"""Scores: a level per metric from its bands, the weighted total, the score in words, the signed score."""
