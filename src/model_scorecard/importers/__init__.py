"""Data teams already have, turned into catalog entries: lm-evaluation-harness results (lmeval),
LiteLLM's price map (litellm), genai-prices' dated prices or the bundled snapshot of them
(genaiprices), promptfoo runs (promptfoo); what they share -- reading a foreign file with
located errors, dates, the new catalog file -- is in common, and run ties them to
``scorecard import``. Nothing here fetches anything."""
