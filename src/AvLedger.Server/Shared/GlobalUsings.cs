// Problems, options and request hygiene are the kernel every feature folder uses.
global using AvLedger.Server.Shared;
