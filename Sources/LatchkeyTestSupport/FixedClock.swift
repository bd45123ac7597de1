public import LatchkeyCore
