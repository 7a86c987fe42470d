"""Calculators: pure functions from model facts to numbers, with units in their names."""
