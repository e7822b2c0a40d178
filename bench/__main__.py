"""`make bench`: every benchmark, one after the other."""

from bench import commerce_intacct_bills, intacct_marketo_sync, intacct_read

if __name__ == "__main__":
    intacct_read.main()
    intacct_marketo_sync.main()
    commerce_intacct_bills.main()
