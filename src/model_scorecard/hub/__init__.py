"""The Hugging Face Hub: ids and places (ids), time budgets (budget), what a model is (model), our
cache (cache), the client that asks (client, the only importer of huggingface_hub) and Hub facts
turned into catalog facts (facts; a card's eval results: evals)."""
