// Nothing here but a comment.

/* EXPECTED INVENTORY

*/
