"""Outputs beyond the PDFs, each reusing the pipeline: batches, the web page, page previews and watch mode."""
