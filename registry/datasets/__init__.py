"""Each authority's catalogue of the datasets it holds, and the data items in each."""
