"""The library of materials: audiences, topics, resource pages, downloads and their counts."""
