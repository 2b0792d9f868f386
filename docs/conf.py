"""Sphinx configuration for skemotion's documentation."""

import os
import sys
import warnings

sys.path.insert(0, os.path.abspath(".."))
os.environ.setdefault("MPLBACKEND", "Agg")

import skemotion  # noqa: E402

project = "skemotion"
author = "The skemotion developers"
copyright = "2026, The skemotion developers"
release = skemotion.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "generated/*.examples", "auto_examples/*.ipynb", "auto_examples/*.py"]
autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks = set()
add_module_names = False

html_theme = "pydata_sphinx_theme"
html_title = f"skemotion {release}"
html_theme_options = {"navigation_with_keys": False}

# No network at build time: intersphinx inventories are not fetched.
intersphinx_mapping = {}

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py",
    "doc_module": ("skemotion",),
    "backreferences_dir": "generated/backreferences",
    "reference_url": {"skemotion": None},
    "abort_on_example_error": True,
    "within_subsection_order": "FileNameSortKey",
    "default_thumb_file": None,
    "remove_config_comments": True,
    "matplotlib_animations": False,
    "plot_gallery": "True",
    # per-build timings are build output, not source: keep them out of docs/
    "write_computation_times": False,
}

warnings.filterwarnings("ignore", category=UserWarning, message="Matplotlib is currently using agg")


def _skip_generated_members(app, what, name, obj, skip, options):
    # sklearn generates set_*_request methods whose docstrings cite sklearn's own
    # glossary; they are documented upstream, not here.
    if (name.startswith("set_") and name.endswith("_request")) or name == "get_metadata_routing":
        return True
    return skip


def setup(app):
    app.connect("autodoc-skip-member", _skip_generated_members)
