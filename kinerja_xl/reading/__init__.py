"""Reading: a workbook's bytes into a grid of cells (two engines, one set of bounds), the grid into the model."""
