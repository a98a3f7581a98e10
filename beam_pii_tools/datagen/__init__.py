"""The labelled data generator: template families and value pools as data files."""
