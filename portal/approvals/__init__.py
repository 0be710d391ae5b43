"""Portal pages of the approvals (/approvals/): the inbox, decisions, 後閲, drafting, a document's page."""
