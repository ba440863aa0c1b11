"""The version hatchling builds into the package metadata."""

VERSION = "0.1.0.dev0"
