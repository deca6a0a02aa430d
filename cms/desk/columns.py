"""Listing columns shared by the admin's report screens."""

from wagtail.admin.ui.tables import Column


class UrgensiColumn(Column):
    """Urgency as the desk shows it: a coloured badge carrying the word
    (never colour alone)."""

    cell_template_name = "desk/tables/urgensi_cell.html"

    def __init__(self, name="urgensi", **kwargs):
        kwargs.setdefault("accessor", "get_urgensi_display")
        kwargs.setdefault("classname", "meja-kolom-urgensi")
        super().__init__(name, **kwargs)
