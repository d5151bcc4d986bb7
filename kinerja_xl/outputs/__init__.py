"""Outputs that are not Word documents: annotated copies and the findings workbook, the pohon kinerja,
the roll-up, the diff of two versions, next year's set and the Excel templates."""
