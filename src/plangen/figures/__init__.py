"""The plan's figures: adherence worked out from a read plan (`adherence`), pure
functions with no file in or out."""
