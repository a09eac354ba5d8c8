"""Stage — the graph garden: machine-written links, entities and communities (front-matter group 6).

``vectors`` reads one vector per pattern back from the index (nothing is embedded twice),
``features`` scores candidate pairs from those vectors and the patterns' words, ``links`` turns
the best pairs into typed links with a confidence and a quoted reason, ``entities`` finds the
concepts a pattern names, ``communities`` runs Louvain over the link graph and names each
community, ``writer`` rewrites only the ``graph_garden`` block of a file, ``evaluate`` measures
how many curated relationships the links recover, and ``garden`` runs it all.
"""

from pattern_guide.garden.garden import Garden, GardenReport, grow, recall_report, write
from pattern_guide.garden.vectors import PatternVectors, index_vectors, plane, read_pattern_vectors, summary_vectors
from pattern_guide.garden.writer import garden_yaml, replace_garden, write_garden

__all__ = [
    "Garden",
    "GardenReport",
    "PatternVectors",
    "garden_yaml",
    "grow",
    "index_vectors",
    "plane",
    "read_pattern_vectors",
    "recall_report",
    "replace_garden",
    "summary_vectors",
    "write",
    "write_garden",
]
