"""Quality: evaluation on gold sets, behavioural checks, benchmarks and synthetic data.

It measures everything else, so it may import anything but serving and the command line.
"""
