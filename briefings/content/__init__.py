"""Reading the content folder: article files, topics.yml and people.yml.

Owns: finding and reading the files (only regular files, size limits), front
matter and YAML with line numbers (``source``), one parser per field
(``fields``), loading and validating everything with every problem reported
(``load``), a topic's keywords (``keywords``), the value objects every later
stage uses (``model``) and who is who (``people``).

Must not: write anything, or know about pages, engines or the site.
"""
