"""The library the Co-production Week services share.

event store, projections, personal-data vault, message contracts, broker topology, relay and
consumer. Nothing here knows any one service; services hand it their facts, handlers and pages.
"""
