//! The meetings' pages: the organizer's programme, and the guest's part of their private page.
