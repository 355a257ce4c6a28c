"""Reach listens for changes to the data its figures come from. Connected in CampaignsConfig.ready()."""

from django.dispatch import receiver

from campaigns.reach import cache
from campaigns.signals import reach_inputs_changed


@receiver(reach_inputs_changed, dispatch_uid="campaigns.reach.new_cache_generation")
def start_new_cache_generation(sender, **kwargs):
    cache.start_new_generation()
