"""The batch runner: sweep files -> design points -> runs on a backend -> Parquet folders."""
