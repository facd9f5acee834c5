import sys

from cuport.cli import main

sys.exit(main())
