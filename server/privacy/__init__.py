"""A person's rights over their data, across every domain (UU PDP): the privacy page, the file
of everything we hold about them, and deleting the account. It reads every domain's tables,
so it sits above them: nothing imports it but the app's route list."""
