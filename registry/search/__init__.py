"""The header's search box: one query over agreements, datasets and authorities."""
