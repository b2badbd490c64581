"""The legal vocabulary: UK GDPR articles, DPA 2018 Schedule 1 conditions and statutory gateways."""
