"""What users write, read with every problem located: YAML with positions, the pydantic models of
catalogs, workloads, rubrics and shortlists, and the loaders that turn files into them."""
