"""Reading the content folder: article files, topics.yml, people.yml, outlets.yml and stories.yml.

Owns: finding and reading the files (only regular files, size limits), front
matter and YAML with line numbers (``source``), one parser per field
(``fields``), loading and validating everything with every problem reported
(``load``), a topic's keywords (``keywords``), the value objects every later
stage uses (``model``), who is who (``people``), who published each article
(``outlets``) and the events the curator confirmed (``stories``), both read as
lists of entries (``entries``).

Must not: write anything, or know about pages, engines or the site.
"""
