"""Qt Linguist translation sources (``*.ts``, committed) and their compiled ``*.qm`` files.

The .qm files are build products: ``python -m ui.i18n_build`` (``make translations``) makes them.
"""
