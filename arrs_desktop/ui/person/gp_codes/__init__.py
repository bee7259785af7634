"""The GP codes a person's episodes call for."""
