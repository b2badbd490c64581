"""Tests of resetting a forgotten password by an emailed link."""
