/** A member of a consumer group: told its partitions on every rebalance. */
export interface GroupMember {
  assign(partitions: readonly number[], generation: number): void;
}

/**
 * Consumer groups within one process: members join and leave, and partitions are spread over them round-robin in
 * order of joining (partition p to member p mod n). Every change is a new generation for the whole group.
 */
export class GroupCoordinator {
  private readonly groups = new Map<string, { members: GroupMember[]; generation: number }>();

  join(groupId: string, partitions: number, member: GroupMember): void {
    const group = this.groups.get(groupId) ?? { members: [], generation: 0 };
    this.groups.set(groupId, group);
    group.members.push(member);
    this.rebalance(group, partitions);
  }

  leave(groupId: string, partitions: number, member: GroupMember): void {
    const group = this.groups.get(groupId);
    if (!group || !group.members.includes(member)) return;
    group.members = group.members.filter((m) => m !== member);
    if (group.members.length === 0) this.groups.delete(groupId);
    else this.rebalance(group, partitions);
  }

  private rebalance(group: { members: GroupMember[]; generation: number }, partitions: number): void {
    const generation = ++group.generation;
    group.members.forEach((member, i) => {
      const mine: number[] = [];
      for (let p = i; p < partitions; p += group.members.length) mine.push(p);
      member.assign(mine, generation);
    });
  }
}
