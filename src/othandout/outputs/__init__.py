"""Outputs beyond the PDFs, each reusing the pipeline: the web page, page previews and watch mode."""
