"""The pages of small groups: the resident's "Mijn groep", the managers' pages, the coordinator's signals."""
