"""The desktop app (PySide6). Only this package imports Qt.

Layers inside: `document.py` owns the open plan (store, PlanService, the
snapshot and its assessment) and refreshes from each `Change`; `commands.py`
holds one QUndoCommand class per kind of edit; `models/` are the Qt item
models fed from the snapshot; `widgets/`, `views/` and `dialogs/` are what the
officer sees; `main_window.py` puts them together; `application.py` starts it.
"""
