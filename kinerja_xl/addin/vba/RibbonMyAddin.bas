Attribute VB_Name = "RibbonMyAddin"
Option Explicit

' The module keeps the name it has in xlwings' quickstart add-in: the build
' swaps only this module's source and leaves the rest of the VBA project as shipped.
' Every ribbon button (ribbon/customUI.xml) calls this one callback and Python
' dispatches on the button id, so a new button needs no VBA change.
Sub KinerjaButton(control As IRibbonControl)
    RunPython "import kinerja_xl.addin as k; k.run('" & control.Id & "')"
End Sub
